/**
 * English function words. They carry no topic, so they are left out of sentence similarity; capitalised,
 * they are also the usual first words of a sentence, which is how an ambiguous full stop ("Inc.", "U.S.",
 * an initial) is told apart from the end of a sentence (see sentences.ts).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against ago all almost also although always am among an and another any anyone
  anything are around as at back be became because become been before being below between both but by can
  could did do does doing done down during each either else even ever every few for from further get gets
  got had has have having he her here hers herself him himself his how however i if in into is it its itself
  just last least less like made make many may me meanwhile might more most much must my myself neither never
  no nor not now of off often on once one only or other others our ours ourselves out over own per perhaps
  rather same say said says see seen several she should since so some still such than that the their theirs
  them themselves then there these they this those though through thus to too under until up upon us very
  was we were what whatever when where whether which while who whom whose why will with within without would
  yet you your yours yourself yourselves mr mrs ms dr`
    .split(/\s+/)
    .filter(Boolean),
);
