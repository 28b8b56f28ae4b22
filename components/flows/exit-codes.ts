/** Exit codes of kube-ha's flows: 0 done, 1 error (bad stack file, bad flags, pulumi failed), 2 refused as unsafe. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_REFUSED = 2;
