import { Migration20261124000000_accounts } from './Migration20261124000000_accounts.js';
import { Migration20261124010000_workspaces_threads } from './Migration20261124010000_workspaces_threads.js';
import { Migration20261124020000_documents_approvals } from './Migration20261124020000_documents_approvals.js';
import { Migration20261124030000_partners_consent_statements } from './Migration20261124030000_partners_consent_statements.js';
import { Migration20261124040000_newsletters } from './Migration20261124040000_newsletters.js';
import { Migration20261124050000_rights_audit_statistics } from './Migration20261124050000_rights_audit_statistics.js';

/** Every migration, in order. Listed explicitly so that tsc output, swc and vitest all load the same set. */
export const migrations = [
  { name: 'Migration20261124000000_accounts', class: Migration20261124000000_accounts },
  { name: 'Migration20261124010000_workspaces_threads', class: Migration20261124010000_workspaces_threads },
  { name: 'Migration20261124020000_documents_approvals', class: Migration20261124020000_documents_approvals },
  { name: 'Migration20261124030000_partners_consent_statements', class: Migration20261124030000_partners_consent_statements },
  { name: 'Migration20261124040000_newsletters', class: Migration20261124040000_newsletters },
  { name: 'Migration20261124050000_rights_audit_statistics', class: Migration20261124050000_rights_audit_statistics },
];
