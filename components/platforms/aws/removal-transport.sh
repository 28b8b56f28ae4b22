remove_member() {
  : "${KUBE_HA_AWS_REGION:?the AWS region of replica $replica}" "${KUBE_HA_INSTANCE:?the instance of replica $replica}"
  local listing id command_id status details code
  if ! listing=$(aws ec2 describe-instances --region "$KUBE_HA_AWS_REGION" --filters @@FILTERS@@ --query 'Reservations[].Instances[].InstanceId' --output text); then
    log "cannot list the running members (aws ec2 describe-instances failed, message above)"
    return 1
  fi
  local -a ids=() survivors=()
  read -r -d '' -a ids <<<"$listing" || true
  for id in "${ids[@]}"; do
    if [ "$id" != "$KUBE_HA_INSTANCE" ] && [ "$id" != None ]; then survivors+=("$id"); fi
  done
  if [ "${#survivors[@]}" -eq 0 ]; then
    log "no other member is running: there is no member list to remove $replica from"
    no_members=true
    return 0
  fi
  for id in "${survivors[@]}"; do
    log "removing etcd member $replica through $id (SSM Run Command)"
    if ! command_id=$(aws ssm send-command --region "$KUBE_HA_AWS_REGION" --instance-ids "$id" --document-name AWS-RunShellScript --timeout-seconds 60 --comment "kube-ha: remove etcd member $replica" --parameters '{"commands":["@@MEMBERSHIP_SCRIPT@@ remove @@REPLICA@@ --peer-url @@PEER_URL@@"],"executionTimeout":["900"]}' --query Command.CommandId --output text); then
      log "cannot send a command to $id: trying the next member"
      continue
    fi
    status=Pending
    for _ in $(seq 1 200); do
      status=$(aws ssm get-command-invocation --region "$KUBE_HA_AWS_REGION" --command-id "$command_id" --instance-id "$id" --query Status --output text 2>/dev/null || echo Pending)
      case "$status" in Pending | InProgress | Delayed | Cancelling) sleep 5 ;; *) break ;; esac
    done
    aws ssm get-command-invocation --region "$KUBE_HA_AWS_REGION" --command-id "$command_id" --instance-id "$id" --query '[StandardOutputContent,StandardErrorContent]' --output text >&2 || true
    case "$status" in
      Success) return 0 ;;
      Failed)
        code=$(aws ssm get-command-invocation --region "$KUBE_HA_AWS_REGION" --command-id "$command_id" --instance-id "$id" --query ResponseCode --output text || echo 1)
        if [ "$code" = 2 ]; then
          log "kube-ha-etcd remove $replica was refused on $id (exit $code, message above): the machine is not deleted"
          return 1
        fi
        log "kube-ha-etcd remove $replica failed on $id (exit $code, message above): trying the next member"
        continue
        ;;
    esac
    details=$(aws ssm get-command-invocation --region "$KUBE_HA_AWS_REGION" --command-id "$command_id" --instance-id "$id" --query StatusDetails --output text 2>/dev/null || echo unknown)
    case "$details" in
      Undeliverable | 'Delivery Timed Out' | DeliveryTimedOut) log "the command never ran on $id ($details): trying the next member" ;;
      *) log "the command on $id ended $status ($details): the machine is not deleted"; return 1 ;;
    esac
  done
  log "no surviving member was reachable: etcd member $replica was not removed"
  return 1
}
