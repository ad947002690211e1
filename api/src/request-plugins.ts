import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';

/**
 * The hooks of a request the API's plugins use. Apollo Server calls each of its request hooks on
 * every plugin's listener through a promise per listener, also for the hooks a listener lacks
 * (about fifty promises per request with six plugins); as one plugin, the hooks no listener has
 * cost one promise each, and those it has run as Apollo runs them: started in the plugins' order,
 * awaited together.
 */
const HOOKS = ['didResolveSource', 'didResolveOperation', 'didEncounterErrors', 'willSendResponse'] as const;
type Hook = (typeof HOOKS)[number];

/**
 * Runs `plugins` (request hooks only) as one plugin, in their order. A plugin with a server hook,
 * or a listener with a hook not in HOOKS, is refused: it would otherwise never be called.
 */
export function asOnePlugin<Context extends BaseContext>(plugins: ApolloServerPlugin<Context>[]): ApolloServerPlugin<Context> {
  for (const plugin of plugins) {
    const others = Object.keys(plugin).filter((key) => key !== 'requestDidStart');
    if (others.length > 0) throw new Error(`asOnePlugin takes request hooks only; a plugin has ${others.join(', ')}`);
  }
  const hookNames = new Set<string>(HOOKS);
  return {
    async requestDidStart(requestContext) {
      const listeners = await Promise.all(plugins.map((plugin) => plugin.requestDidStart?.(requestContext)));
      const byHook: Partial<Record<Hook, GraphQLRequestListener<Context>[]>> = {};
      for (const listener of listeners) {
        if (!listener) continue;
        for (const key in listener) {
          if (!hookNames.has(key)) throw new Error(`asOnePlugin does not run the request hook ${key}`);
          (byHook[key as Hook] ??= []).push(listener);
        }
      }
      const combined: GraphQLRequestListener<Context> = {};
      for (const hook of HOOKS) {
        const having = byHook[hook];
        if (!having) continue;
        (combined as Record<Hook, unknown>)[hook] = (context: unknown) =>
          Promise.all(having.map((listener) => (listener[hook] as (context: unknown) => Promise<void>)(context)));
      }
      return combined;
    },
  };
}
