import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';

/**
 * The hooks of a request the API's plugins use. Apollo Server calls each of its request hooks on
 * every plugin's listener through a promise per listener, also for the hooks a listener lacks
 * (about fifty promises per request with six plugins); as one plugin, each hook costs one call,
 * and the listeners having it run as Apollo runs them: started in the plugins' order, awaited
 * together.
 */
const HOOKS = ['didResolveSource', 'didResolveOperation', 'didEncounterErrors', 'willSendResponse'] as const;
type Hook = (typeof HOOKS)[number];
const HOOK_NAMES = new Set<string>(HOOKS);

type Listeners<Context extends BaseContext> = Record<Hook, GraphQLRequestListener<Context>[]>;

const DONE: Promise<void> = Promise.resolve();

/** Runs one hook of the listeners having it: none, one (its own promise) or several (awaited together). */
async function runHook<Context extends BaseContext>(having: GraphQLRequestListener<Context>[], hook: Hook, argument: unknown): Promise<void> {
  const call = (listener: GraphQLRequestListener<Context>) => (listener[hook] as (argument: unknown) => Promise<void>).call(listener, argument);
  if (having.length === 1) return call(having[0]!);
  await Promise.all(having.map(call));
}

/**
 * The combined listener of one request. Its hooks are methods of the class, not functions made per
 * request and set as properties: an object given per-request function properties one key at a time
 * (`listener[hook] = …`) takes a hidden class whose transition keeps the functions, and through
 * them the whole request, where V8's young-generation collector treats them as alive. Every
 * request's objects then survived its scavenges and were promoted to the old generation: scavenges
 * took three times as long, 12–18% of the API's CPU under load.
 */
class CombinedListener<Context extends BaseContext> implements GraphQLRequestListener<Context> {
  readonly #byHook: Listeners<Context>;
  constructor(byHook: Listeners<Context>) {
    this.#byHook = byHook;
  }
  #run(hook: Hook, context: GraphQLRequestContext<Context>): Promise<void> {
    const having = this.#byHook[hook];
    return having.length === 0 ? DONE : runHook(having, hook, context);
  }
  didResolveSource(context: GraphQLRequestContext<Context>) {
    return this.#run('didResolveSource', context);
  }
  didResolveOperation(context: GraphQLRequestContext<Context>) {
    return this.#run('didResolveOperation', context);
  }
  didEncounterErrors(context: GraphQLRequestContext<Context>) {
    return this.#run('didEncounterErrors', context);
  }
  willSendResponse(context: GraphQLRequestContext<Context>) {
    return this.#run('willSendResponse', context);
  }
}

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
      const listeners = await Promise.all(plugins.map((plugin) => plugin.requestDidStart?.(requestContext)));
      // A literal of fixed keys: listeners are only pushed, so its hidden class never changes.
      const byHook: Listeners<Context> = { didResolveSource: [], didResolveOperation: [], didEncounterErrors: [], willSendResponse: [] };
      for (const listener of listeners) {
        if (!listener) continue;
        for (const key in listener) {
          if (!HOOK_NAMES.has(key)) throw new Error(`asOnePlugin does not run the request hook ${key}`);
          byHook[key as Hook].push(listener);
        }
      }
      return new CombinedListener(byHook);
    },
  };
}
