/** A message for people: what happened, how urgent, and the details behind it. */
export interface Notification {
  readonly level: 'info' | 'warning' | 'critical';
  readonly title: string;
  readonly body: string;
  readonly userId?: string;
  readonly time: number;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Delivers notifications (console, Telegram, e-mail, webhook...). */
export interface Notifier {
  readonly id: string;
  notify(notification: Notification): Promise<void>;
}
