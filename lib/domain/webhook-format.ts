/**
 * What a webhook receives. "flightdeck" is the event JSON as stored in the outbox; "slack" is a
 * Slack-compatible incoming-webhook body ({ text, blocks }) built from it at delivery, with the
 * evidence summary and a link to act. Pure: the worker signs whatever this returns.
 */
export const WEBHOOK_FORMATS = ['flightdeck', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

type Payload = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
/** Slack mrkdwn treats &, < and > as control characters. */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function link(baseUrl: string | undefined, path: string, label: string): string {
  return baseUrl ? `<${baseUrl.replace(/\/$/, '')}${path}|${escape(label)}>` : `${escape(label)} (${path})`;
}

/** One line that says what happened, for people. */
export function summarise(event: string, payload: Payload, baseUrl?: string): string {
  const alert = payload.alert as Payload | undefined;
  if (alert) {
    const severity = str(alert.severity).toUpperCase();
    const details = (alert.details ?? {}) as Payload;
    const evidence = Object.entries(details)
      .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
      .slice(0, 4)
      .map(([k, v]) => `${k}: ${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`)
      .join(', ');
    const verb = { 'alert.open': 'opened', 'alert.escalate': 'escalated', 'alert.acknowledge': 'acknowledged', 'alert.resolve': 'resolved' }[event] ?? event;
    const by = payload.by ? ` by ${str(payload.by)}` : '';
    return `[${severity}] Alert ${verb}${by}: ${link(baseUrl, str(alert.path), str(alert.title))}${evidence ? ` — ${escape(evidence)}` : ''}${payload.comment ? ` — “${escape(str(payload.comment))}”` : ''}`;
  }
  // Release events carry the release's summary at the top level (apply-transition).
  if (payload.releaseId && payload.model) {
    const what = `${str(payload.model)} ${str(payload.version)} in ${str(payload.environment)}`;
    const by = payload.actor ? ` by ${escape(str(payload.actor))}` : '';
    return `${escape(event)}${by}: ${link(baseUrl, `/releases/${str(payload.releaseId)}`, what)} (${escape(str(payload.state).replace('_', ' '))})${payload.reason ? ` — “${escape(str(payload.reason))}”` : ''}`;
  }
  return escape(event);
}

export function formatWebhookBody(format: string, event: string, payload: Payload, baseUrl?: string): Payload {
  if (format !== 'slack') return payload;
  const text = summarise(event, payload, baseUrl);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
