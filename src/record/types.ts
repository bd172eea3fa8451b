/**
 * History records: what one run leaves in the store. Plain JSON data, built only from
 * what travels with Playwright test results (annotations and attachments), so a plain run and a
 * `merge-reports` of a sharded run produce the same records.
 */
import type { Verdict } from '../model.ts';

export interface RunRecord {
  runId: string;
  /** ms since epoch: when the send step started (or the report began, for a DNS-only run) */
  startedAt: number;
  finishedAt: number;
  lab: boolean;
  /** Playwright's overall status of the run (passed / failed / timedout / interrupted) */
  status: string;
  /** other run ids folded into this run (shards that each made up their own id) */
  aliases?: string[];
  /** regressions the gate found against the baseline when this run was recorded */
  gate?: GateSummary;
  /** what concerns the whole run, one line each, shown in the report's header (bounce watching is off, no seed was tested) */
  notices?: string[];
}

export interface GateSummary {
  baselineRunId?: string;
  regressions: string[];
}

export interface MessageRecord {
  runId: string;
  seedId: string;
  provider: string;
  variant: string;
  /** what the seed expects; `missing` for a blackhole */
  expected?: string;
  verdict: Verdict | string;
  /** Playwright's status of the placement test */
  testStatus: string;
  address?: string;
  tag?: string;
  subject?: string;
  submittedAt?: number;
  /** one result per method (spf, dkim, dmarc, arc, …) as the provider stamped it */
  auth: Record<string, string>;
  detail?: string;
  /** Gmail category tab of a message in INBOX (primary, promotions, social, updates, forums) */
  tab?: string;
  /** the seed counts a message in the Promotions tab as a regression (seed setting `promotions`) */
  promotionsRegression?: boolean;
  /** the Evidence record of src/evidence, as attached (hostile strings inside) */
  evidence?: unknown;
  /** the bounce report and advice of src/classify, as attached */
  bounce?: unknown;
  /** raw received header block (hostile) */
  rawHeaders?: string;
  /** the local scorer's result for the message's variant (src/score ScoreResult), scored before sending */
  contentScore?: unknown;
  /** the sender, when the run has several: `variant` then ends in ` from <senderLabel>` */
  sender?: MessageSender;
}

export interface MessageSender {
  id: string;
  /** the From domain receivers judge */
  domain: string;
  /** how titles name it: the domain, the address when two senders share it, `(system mail)` */
  label: string;
  /** the server's own mail (root@ / MAILER-DAEMON@ the host name) */
  system: boolean;
}

export interface CheckRecord {
  runId: string;
  /** check id: spf, dkim, dmarc, rdns, blocklist, … */
  checkId: string;
  title: string;
  target: string;
  status: string;
  summary: string;
  fix?: string;
  details?: unknown;
}

/** Everything one run leaves in the store: written in one transaction. */
export interface RunBundle {
  run: RunRecord;
  messages: MessageRecord[];
  checks: CheckRecord[];
}
