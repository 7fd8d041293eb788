import type { Notification, Notifier } from '../ports/notifier';

/** Writes notifications as single lines to a stream (stdout by default). */
export class ConsoleNotifier implements Notifier {
  readonly id = 'console';
  constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

  async notify(n: Notification): Promise<void> {
    const who = n.userId ? ` [${n.userId}]` : '';
    this.write(`${new Date(n.time).toISOString()} ${n.level.toUpperCase()}${who} ${n.title}: ${n.body}`);
  }
}
