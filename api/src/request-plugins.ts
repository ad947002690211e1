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
  return {
    async requestDidStart(requestContext) {
      const listeners = (await Promise.all(plugins.map((plugin) => plugin.requestDidStart?.(requestContext)))).filter(
        (listener): listener is GraphQLRequestListener<Context> => listener !== undefined && listener !== null,
      );
      const combined: GraphQLRequestListener<Context> = {};
      for (const listener of listeners) {
        const unknown = Object.keys(listener).filter((key) => !(HOOKS as readonly string[]).includes(key));
        if (unknown.length > 0) throw new Error(`asOnePlugin does not run the request hooks ${unknown.join(', ')}`);
      }
      for (const hook of HOOKS) {
        const having = listeners.filter((listener) => listener[hook] !== undefined);
        if (having.length === 0) continue;
        (combined as Record<Hook, unknown>)[hook] = async (context: unknown) => {
          await Promise.all(having.map((listener) => (listener[hook] as (context: unknown) => Promise<void>)(context)));
        };
      }
      return combined;
    },
  };
}
