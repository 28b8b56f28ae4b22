import type { RemovalScriptInput } from "../../components/membership/removal-scripts";
import { gcpRemovalTransport } from "../../components/platforms/gcp/removal";

/** A stacked master's removal on GCP (master-c of cluster prod): the removal-script tests' common input. */
export const GCP_MASTER_REMOVAL: RemovalScriptInput = {
  transport: gcpRemovalTransport,
  replica: "master-c",
  etcdMember: true,
  peerUrl: "https://10.0.0.12:2380",
  nodeName: "master-c",
  selector: { "kube-ha-cluster": "prod", "kube-ha-role": "master" },
};
