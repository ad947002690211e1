import { describe, expect, it } from 'vitest';
import { Stop } from '../src/statement-scope.ts';

/* A request's stop signal: what of AbortSignal the statements of a scope read. */
describe('Stop', () => {
  it('calls each listener once, in the order added, after aborted and reason are set', () => {
    const stop = new Stop();
    const seen: string[] = [];
    const first = () => seen.push(`first ${stop.aborted} ${String(stop.reason)}`);
    const removed = () => seen.push('removed');
    stop.addEventListener('abort', first, { once: true });
    stop.addEventListener('abort', removed);
    stop.addEventListener('abort', () => seen.push('last'));
    stop.removeEventListener('abort', removed);
    expect(stop.listenerCount).toBe(2);
    expect(stop.aborted).toBe(false);
    stop.abort('over budget');
    stop.abort('a second stop');
    expect(seen).toEqual(['first true over budget', 'last']);
    expect(stop.reason).toBe('over budget');
    expect(stop.listenerCount).toBe(0);
    // A listener added once stopped is never called (the work checks `aborted` first).
    stop.addEventListener('abort', () => seen.push('late'));
    expect(seen).toEqual(['first true over budget', 'last']);
  });

  it('calls every listener when one fails, then throws the first failure', () => {
    const stop = new Stop();
    const seen: string[] = [];
    stop.addEventListener('abort', () => {
      throw new Error('cancel failed');
    });
    stop.addEventListener('abort', () => {
      throw new Error('second failure');
    });
    stop.addEventListener('abort', () => seen.push('called'));
    expect(() => stop.abort('stopped')).toThrow('cancel failed');
    expect(seen).toEqual(['called']);
    expect(stop.aborted).toBe(true);
  });
});
