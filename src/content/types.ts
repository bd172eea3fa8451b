/** One pre-send check's outcome: the same fields as the DNS and server checks. */
export interface ContentCheck {
  id: string;
  title: string;
  /** the message variant it looked at */
  target: string;
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  summary: string;
  fix?: string;
  details?: Record<string, unknown>;
}
