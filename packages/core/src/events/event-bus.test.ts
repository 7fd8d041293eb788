import { describe, expect, it } from 'vitest';
import { EventBus } from './event-bus';

describe('EventBus', () => {
  it('delivers typed payloads by dotted name and unsubscribes', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const off = bus.on('engine.stopped', (e) => seen.push(e.reason));
    bus.emit('engine.stopped', { reason: 'done', time: 1 });
    off();
    bus.emit('engine.stopped', { reason: 'again', time: 2 });
    expect(seen).toEqual(['done']);
  });
  it('isolates a throwing listener from the others and counts it', () => {
    const errors: string[] = [];
    const bus = new EventBus((event) => errors.push(event));
    const seen: number[] = [];
    bus.on('engine.stopped', () => {
      throw new Error('bad listener');
    });
    bus.on('engine.stopped', (e) => seen.push(e.time));
    bus.emit('engine.stopped', { reason: 'x', time: 7 });
    expect(seen).toEqual([7]);
    expect(errors).toEqual(['engine.stopped']);
    expect(bus.errorCount).toBe(1);
  });
  it('reports listeners per event, through unsubscribes and removeAllListeners', () => {
    const bus = new EventBus();
    expect(bus.hasListeners('engine.stopped')).toBe(false);
    const off = bus.on('engine.stopped', () => {});
    const offOther = bus.on('engine.started', () => {});
    expect(bus.hasListeners('engine.stopped')).toBe(true);
    off();
    off();
    expect(bus.hasListeners('engine.stopped')).toBe(false);
    expect(bus.hasListeners('engine.started')).toBe(true);
    bus.removeAllListeners();
    offOther();
    expect(bus.hasListeners('engine.started')).toBe(false);
    bus.on('engine.stopped', () => {});
    expect(bus.hasListeners('engine.stopped')).toBe(true);
  });
});
