import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { asOnePlugin } from '../src/request-plugins.ts';

/* The API's Apollo plugins run as one: each hook in the plugins' order, all of them awaited. */
const request = {} as GraphQLRequestContext<BaseContext>;

describe('asOnePlugin', () => {
  it("runs each plugin's hooks in the plugins' order; a hook no plugin has does nothing", async () => {
    const calls: string[] = [];
    const plugin = (name: string, hooks: string[]): ApolloServerPlugin => ({
      async requestDidStart() {
        calls.push(`${name}.requestDidStart`);
        return Object.fromEntries(
          hooks.map((hook) => [
            hook,
            async () => {
              calls.push(`${name}.${hook} started`);
              await new Promise((resolve) => setTimeout(resolve, name === 'a' ? 20 : 1));
              calls.push(`${name}.${hook} done`);
            },
          ]),
        );
      },
    });
    const listener = await asOnePlugin([plugin('a', ['didResolveOperation', 'willSendResponse']), plugin('b', ['willSendResponse'])]).requestDidStart!(request);
    // The hooks are the listener's class's: a request's listener has no function of its own.
    expect(Object.getOwnPropertyNames(listener!)).toEqual([]);
    await listener!.didResolveSource!(request as never);
    await listener!.didEncounterErrors!(request as never);
    expect(calls).toEqual(['a.requestDidStart', 'b.requestDidStart']);
    await listener!.willSendResponse!(request as never);
    expect(calls).toEqual([
      'a.requestDidStart',
      'b.requestDidStart',
      // Started in order, awaited together (as Apollo Server does for separate plugins).
      'a.willSendResponse started',
      'b.willSendResponse started',
      'b.willSendResponse done',
      'a.willSendResponse done',
    ]);
  });

  it('passes on the first failure of a hook', async () => {
    const failing: ApolloServerPlugin = {
      async requestDidStart() {
        return {
          async didResolveOperation() {
            throw new Error('too complex');
          },
        };
      },
    };
    const listener = await asOnePlugin([failing]).requestDidStart!(request);
    await expect(listener!.didResolveOperation!(request as never)).rejects.toThrow('too complex');
  });

  it('refuses plugins and hooks it would not run', async () => {
    expect(() => asOnePlugin([{ async serverWillStart() {} }])).toThrow('request hooks only; a plugin has serverWillStart');
    const executing: ApolloServerPlugin = {
      async requestDidStart() {
        return { async executionDidStart() {} };
      },
    };
    await expect(asOnePlugin([executing]).requestDidStart!(request)).rejects.toThrow('does not run the request hook executionDidStart');
  });
});
