/**
 * The ready Pulumi program (Pulumi.yaml `main`): reads `stacks/Pulumi.<stack>.yaml`,
 * validates and plans it (bad config stops here, before any resource exists),
 * builds the chosen cloud's control plane and exports the stack outputs.
 * Preview it offline with `npm run preview -- --stack <stack>`.
 */
import { kubeHaProgram } from "./components/program";

const { outputs } = kubeHaProgram();

/** `https://<load balancer or DNS name>:6443` */
export const endpoint = outputs.endpoint;
export const loadBalancerAddress = outputs.loadBalancerAddress;
/** Every master: name, zone, private address. */
export const replicas = outputs.replicas;
/** kubeconfig of a cluster-admin client certificate (a Pulumi secret). */
export const adminKubeconfig = outputs.adminKubeconfig;
export const etcdQuorum = outputs.etcdQuorum;
export const etcdToleratedFailures = outputs.etcdToleratedFailures;
