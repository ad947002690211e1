import { readReferenceData, type SeedFile } from '@naravard/db';
import { IngestError } from './errors.ts';
import type { Lines } from './text.ts';

export function checkRegion(region: string | null, fileName: string): string | null {
  if (region === null || region === '') return null;
  const codes = readReferenceData().counties.map((county) => county.code);
  if (!codes.includes(region)) throw new IngestError(fileName, `region ${region} is not a county code (one of ${codes.join(', ')})`);
  return region;
}

export function regionShortName(region: string | null): string {
  if (!region) return '';
  const county = readReferenceData().counties.find((candidate) => candidate.code === region);
  return county ? county.regionName.replace(/^Region\s+/i, '').replace(/\s+län$/i, '') : region;
}

export function documentKind(text: string): SeedFile['document']['kind'] {
  const head = text.slice(0, 3000);
  if (/svar\s+på\s+revisionsrapport/i.test(head)) return 'audit_response';
  if (/revisionsrapport/i.test(head)) return 'audit_report';
  if (/informationsbrev/i.test(head)) return 'information_letter';
  if (/protokoll|mötesanteckningar|minnesanteckningar/i.test(head.split('\n').slice(0, 15).join('\n'))) return 'minutes';
  if (/återrapportering|rapport/i.test(head)) return 'report';
  return 'other';
}

/** "Dnr 24HSNG673", "Diarienr: RS 2023/145". */
export function registryNumber(lines: Lines): string | null {
  for (let n = 1; n <= Math.min(lines.count, 60); n++) {
    const match = /\b(?:dnr|diarienr|diarienummer|ärendenr)\b\.?\s*:?\s*([A-ZÅÄÖ0-9][A-ZÅÄÖa-zåäö0-9/.\- ]{2,30}?[0-9])(?=\s|$|[,;])/i.exec(lines.at(n));
    if (match) return match[1]!.trim();
  }
  return null;
}

