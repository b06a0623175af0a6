/** The Organizations client and the one command a sweep sends, in a chunk of their own (sdk.ts). */
import { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";

export const organizations = { OrganizationsClient, ListAccountsCommand };
