type OrganisationKind =
  | 'regional_council' | 'board' | 'committee' | 'steering_group' | 'administration' | 'operational_area'
  | 'health_centre' | 'municipality' | 'national_body' | 'working_group' | 'auditor' | 'other';

/** Words that make a name a body rather than a person. */
export const BODY_WORD = /(nämnd|beredning|styrgrupp|ledningsgrupp|arbetsgrupp|grupp|förvaltning|organisation|enhet|råd\b|forum|kansli|avdelning|utskott|styrelse|fullmäktige|vårdcentral|klinik|region\b|kommun\b|funktion|team|område\b)/i;

/** The kind of a body by the word its name is built on; "other" when no word says it. */
export function organisationKind(name: string): OrganisationKind {
  if (/styrgrupp|ledningsgrupp/i.test(name)) return 'steering_group';
  if (/arbetsgrupp|grupp\b|gruppen\b|team/i.test(name)) return 'working_group';
  if (/beredning|utskott|forum|råd\b|rådet\b/i.test(name)) return 'committee';
  if (/nämnd|styrelse/i.test(name)) return 'board';
  if (/förvaltning/i.test(name)) return 'administration';
  if (/vårdcentral/i.test(name)) return 'health_centre';
  if (/klinik|område\b/i.test(name)) return 'operational_area';
  return 'other';
}

/** "arbetsgruppen för arbetssätt" → "Arbetsgruppen för arbetssätt". */
export const capitalise = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
