/**
 * Mail log lines shaped like the real ones, written from the MTAs' documentation (Postfix
 * DEBUG_README, postconf(5), smtp(8); Exim spec "Log files"): every time comes from the
 * injected clock passed in, never from today's date.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** RFC 3164 time in UTC: `Dec  1 19:28:56` */
export function syslogTime(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** Exim main log time in UTC: `2026-12-01 19:28:56` */
export function eximTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function postfix(ms: number, daemon: string, pid: number, text: string, host = 'mail'): string {
  return `${syslogTime(ms)} ${host} postfix/${daemon}[${pid}]: ${text}`;
}

export const TELEKOM_BL = '554 IP=192.0.2.25 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)';
export const MS_RATE =
  '451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [Name=Protocol Filter Agent][AGT=PFA][MxId=11B9D5D6A6C3E2F1] [AM4PEPF00025F97.EURP195.PROD.OUTLOOK.COM]';
export const MS_S3150 =
  "550 5.7.1 Unfortunately, messages from [192.0.2.25] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [AM4PEPF00025F97.EURP195.PROD.OUTLOOK.COM]";

/** One submitted message to a t-online.de seed that Telekom refuses at the greeting, over IPv4 then IPv6. */
export function telekomBlock(t0: number, qid = '4ZkQ7w1Lh2z9sRH'): string[] {
  return [
    postfix(t0, 'submission/smtpd', 2101, `${qid}: client=unknown[198.51.100.7], sasl_method=PLAIN, sasl_username=monitor@example.org`),
    postfix(t0, 'cleanup', 2102, `${qid}: message-id=<mc202612011928k3f9.001@example.org>`),
    postfix(t0 + 100, 'qmgr', 2103, `${qid}: from=<monitor-mc202612011928k3f9.001@example.org>, size=1834, nrcpt=1 (queue active)`),
    postfix(t0 + 1_000, 'smtp', 2104, `${qid}: host mx00.t-online.de[194.25.134.8] refused to talk to me: ${TELEKOM_BL}`),
    postfix(
      t0 + 1_200,
      'smtp',
      2104,
      `${qid}: to=<jane.seed@t-online.de>, relay=mx01.t-online.de[2a00:1158:4::9]:25, delay=1.2, delays=0.1/0.01/1.1/0, dsn=4.0.0, status=deferred (host mx01.t-online.de[2a00:1158:4::9] refused to talk to me: ${TELEKOM_BL})`,
    ),
  ];
}
