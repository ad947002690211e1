/** Sizes and vocabulary of the bench data set, shared by the generator and the read benchmark. */

export interface Scale {
  bodiesPerRegion: number;
  meetings: number;
  assignments: number;
  documents: number;
  /** Lines of ~12 words in each document. */
  documentLines: number;
  indicators: number;
  /** Regions (21) and municipalities observed. */
  subjects: number;
  months: number;
  /** One text in this many gets a rare word. */
  rareEvery: number;
  /** How many of the rare words are used (the first ones of RARE_WORDS). */
  rareWords: number;
}

export const SCALES = {
  national: {
    bodiesPerRegion: 12,
    meetings: 60_000,
    assignments: 20_000,
    documents: 5_000,
    documentLines: 60,
    indicators: 64,
    subjects: 311,
    months: 120,
    rareEvery: 20,
    rareWords: 2_000,
  },
  small: {
    bodiesPerRegion: 4,
    meetings: 600,
    assignments: 200,
    documents: 50,
    documentLines: 60,
    indicators: 8,
    subjects: 60,
    months: 60,
    rareEvery: 2,
    rareWords: 40,
  },
} satisfies Record<string, Scale>;

/** Codes of the bench data set's indicators start with this, so the set is recognised. */
export const BENCH_INDICATOR_PREFIX = 'BENCH_I';

/** Everyday words of Swedish governance texts; each lands in roughly one text in ten. */
export const COMMON_WORDS = [
  'vårdcentral', 'vårdcentralen', 'patient', 'patienter', 'beslut', 'beslutar', 'uppdrag', 'uppdraget', 'verksamhet',
  'verksamheten', 'region', 'regionen', 'nämnd', 'nämnden', 'hälso', 'sjukvård', 'sjukvården', 'primärvård',
  'primärvården', 'kommun', 'kommunen', 'kommunerna', 'samverkan', 'uppföljning', 'uppföljningen', 'plan', 'planen',
  'nära', 'vård', 'vården', 'läkare', 'läkaren', 'sjuksköterska', 'omställning', 'omställningen', 'rapport', 'rapporten',
  'tillgänglighet', 'kontinuitet', 'hemsjukvård', 'äldre', 'invånare', 'invånarna', 'digital', 'digitala', 'arbete',
  'arbetet', 'fortsatt', 'utveckling', 'utvecklingen', 'ekonomi', 'budget', 'budgeten', 'mål', 'målet', 'målen',
  'resultat', 'resultatet', 'information', 'informationen', 'dialog', 'dialogen', 'möte', 'mötet', 'styrgrupp',
  'styrgruppen', 'beredning', 'beredningen', 'förslag', 'förslaget', 'handlingsplan', 'handlingsplanen', 'insats',
  'insatser', 'behov', 'behoven', 'barn', 'unga', 'psykisk', 'hälsa', 'ohälsa', 'vårdplan', 'samordnad', 'individuell',
  'fast', 'läkarkontakt', 'vårdkontakt', 'kontaktingång', 'central', 'tillsammans', 'ansvar', 'ansvaret', 'medarbetare',
  'kompetens', 'kompetensförsörjning', 'bemanning', 'rekrytering', 'ersättning', 'ersättningen', 'avtal', 'avtalet',
  'privata', 'offentliga', 'utförare', 'länet', 'länsgemensam', 'gemensam', 'struktur', 'strukturen', 'process',
  'processen', 'kvalitet', 'kvaliteten', 'säkerhet', 'patientsäkerhet', 'risk', 'risker', 'analys', 'analysen',
  'statsbidrag', 'bidraget', 'medel', 'kronor', 'miljoner', 'år', 'året', 'månad', 'kvartal', 'prognos', 'prognosen',
  'genomförande', 'genomförs', 'påbörjat', 'pågår', 'slutfört', 'redovisas', 'redovisning', 'återrapportering',
  'godkänns', 'fastställs', 'noteras', 'informerar', 'diskuteras', 'lägger', 'till', 'handlingarna', 'och', 'att',
  'för', 'med', 'som', 'inom', 'under', 'efter', 'samt',
] as const;

/** Parts of the rare compounds: 10 × 20 × 10 = 2,000 words such as "hemhjärtmottagning". */
export const RARE_HEADS = ['hem', 'dag', 'natt', 'akut', 'fjärr', 'när', 'läns', 'kvälls', 'helg', 'distrikts'] as const;
export const RARE_MIDDLES = [
  'hjärt', 'lung', 'njur', 'mag', 'led', 'hud', 'syn', 'hörsel', 'tand', 'demens',
  'diabetes', 'astma', 'smärt', 'stroke', 'cancer', 'psykiatri', 'beroende', 'rehab', 'fot', 'sömn',
] as const;
export const RARE_TAILS = [
  'mottagning', 'utredning', 'samordnare', 'konsultation', 'remittering', 'journalföring', 'triagering',
  'bedömning', 'ronderingen', 'kartläggning',
] as const;

/** Every rare word, in the order the generator builds them. */
export const RARE_WORDS: string[] = RARE_HEADS.flatMap((head) =>
  RARE_MIDDLES.flatMap((middle) => RARE_TAILS.map((tail) => `${head}${middle}${tail}`)),
);
