/** The Organizations client and the one command a sweep sends, in a chunk of their own (sdk.ts). */
export { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
