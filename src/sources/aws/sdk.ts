/**
 * The AWS SDK's clients and commands, loaded once, on the first client a Caller makes (`loadSdk`), then read
 * synchronously. The bundle holds them in chunks of their own (sdk-clients.ts, sdk-organizations.ts), built
 * from the SDK's ES modules so that only the commands the live source sends are kept, and the build makes a
 * code cache for them as for the rest of the bundle. Requiring the EC2, SSM, IAM, STS and Route 53 client
 * packages whole from node_modules took about 0.5 s of a `check`; importing the bundled commands alone about
 * 0.25 s, and with the code cache a one-instance `check` takes half the CPU time it took.
 */
type Clients = typeof import("./sdk-clients.js");
type Organizations = typeof import("./sdk-organizations.js");

/**
 * The SDK's pieces by service, as the collectors take them. One module holds every service's client and
 * commands (each name written once); the accessors name the service the caller means.
 */
export type Sdk = {
  ec2: Clients;
  ssm: Clients;
  iam: Clients;
  sts: Clients;
  route53: Clients;
  logs: Clients;
  organizations: Organizations;
};

let clients: Clients | undefined;
let organizationClients: Organizations | undefined;
let loading: Promise<void> | undefined;
let loadingOrganizations: Promise<void> | undefined;

/** Loads the clients (and, when asked, Organizations) once; `sdk` reads them after it resolves. */
export function loadSdk(service?: "organizations"): Promise<void> {
  loading ??= import("./sdk-clients.js").then((m) => {
    clients = m;
  });
  if (service !== "organizations") return loading;
  loadingOrganizations ??= import("./sdk-organizations.js").then((m) => {
    organizationClients = m;
  });
  return Promise.all([loading, loadingOrganizations]).then(() => undefined);
}

function loaded<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("the AWS SDK was read before a client was made (loadSdk)");
  return value;
}

export const sdk = {
  ec2: (): Sdk["ec2"] => loaded(clients),
  ssm: (): Sdk["ssm"] => loaded(clients),
  iam: (): Sdk["iam"] => loaded(clients),
  sts: (): Sdk["sts"] => loaded(clients),
  route53: (): Sdk["route53"] => loaded(clients),
  logs: (): Sdk["logs"] => loaded(clients),
  organizations: (): Sdk["organizations"] => loaded(organizationClients),
};
