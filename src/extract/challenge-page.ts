/**
 * A page that is an anti-bot challenge stub served with 200 in place of the list (see
 * src/anti-bot/recognize-challenge.ts). Only consulted when a page yields nothing, so it costs nothing on
 * pages that work.
 */
import { CHALLENGE_HINT, recognizeChallengeText } from '../anti-bot/recognize-challenge.js';
import { ExtractError } from './extract-error.js';

/** The error for a challenge page, or undefined when the body is not one. */
export function challengePageError(body: string, sourceId: string): ExtractError | undefined {
  const vendor = recognizeChallengeText(body);
  if (!vendor) return undefined;
  return new ExtractError(
    'EXTRACT_CHALLENGE',
    sourceId,
    'the site answered with an anti-bot JavaScript challenge instead of the page',
    vendor,
    {
      hint: CHALLENGE_HINT,
    },
  );
}
