/** `srcset` parsing per the HTML spec's candidate grammar (URLs may contain commas). */

export interface SrcsetCandidate {
  url: string;
  /** The descriptor as written (`2x`, `640w`), or '' when none. */
  descriptor: string;
}

/**
 * hast splits `srcset` on every comma, which breaks URLs like `…@s_2,w_820,h_461`; joining the
 * pieces with ',' restores the original string.
 */
export function srcsetString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(',');
  return undefined;
}

export function parseSrcset(srcset: string): SrcsetCandidate[] {
  const candidates: SrcsetCandidate[] = [];
  const length = srcset.length;
  let position = 0;
  while (position < length) {
    while (position < length && /[\s,]/.test(srcset[position]!)) position++;
    if (position >= length) break;
    const urlStart = position;
    while (position < length && !/\s/.test(srcset[position]!)) position++;
    let url = srcset.slice(urlStart, position);
    let descriptor = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      // Descriptors run to the next comma outside parentheses.
      const descriptorStart = position;
      let depth = 0;
      while (position < length) {
        const character = srcset[position]!;
        if (character === '(') depth++;
        else if (character === ')') depth = Math.max(0, depth - 1);
        else if (character === ',' && depth === 0) break;
        position++;
      }
      descriptor = srcset.slice(descriptorStart, position).trim().replace(/\s+/g, ' ');
      position++;
    }
    if (url) candidates.push({ url, descriptor });
  }
  return candidates;
}

/** Candidates as hast wants them: one `url descriptor` string each. */
export function srcsetProperty(candidates: readonly SrcsetCandidate[]): string[] {
  return candidates.map(({ url, descriptor }) => (descriptor ? `${url} ${descriptor}` : url));
}

/** The candidate a browser without `srcset` support would want: the widest / densest. */
export function largestCandidate(
  candidates: readonly SrcsetCandidate[],
): SrcsetCandidate | undefined {
  let best: SrcsetCandidate | undefined;
  let bestSize = -1;
  for (const candidate of candidates) {
    const size = Number.parseFloat(candidate.descriptor) || 1;
    if (size > bestSize) {
      best = candidate;
      bestSize = size;
    }
  }
  return best;
}
