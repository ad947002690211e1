import { v5 as uuidV5 } from 'uuid';

/** Namespace for UUIDs derived from seed keys; never change it, or every seeded ID changes. */
const SEED_NAMESPACE = '0d3b8f6e-5a6c-4f3e-9c1a-6e0f5b7d2a41';

/** The UUID of the record a seed key names: the same key gives the same UUID on every load. */
export const idFor = (key: string) => uuidV5(key, SEED_NAMESPACE);

export const regionKey = (code: string) => `region:${code}`;
export const municipalityKey = (code: string) => `municipality:${code}`;
export const topicKey = (slug: string) => `topic:${slug}`;
