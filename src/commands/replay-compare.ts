/**
 * Whether a replayed output equals a logged one: numbers within `tolerance` (absolute), lists (class
 * probabilities) element by element, anything else (labels) exactly.
 * @example
 * sameOutput(0.5, 0.5000001, 1e-6); // true
 * sameOutput('setosa', 'versicolor', 0); // false
 */
export function sameOutput(logged: unknown, replayed: unknown, tolerance: number): boolean {
  if (typeof logged === 'number' && typeof replayed === 'number') return Math.abs(logged - replayed) <= tolerance || logged === replayed;
  if (Array.isArray(logged) && Array.isArray(replayed)) {
    return logged.length === replayed.length && logged.every((value, i) => sameOutput(value, replayed[i], tolerance));
  }
  if (typeof logged === 'object' && logged !== null && typeof replayed === 'object' && replayed !== null) return JSON.stringify(logged) === JSON.stringify(replayed);
  return logged === replayed;
}

/**
 * The largest absolute difference between two numeric outputs (numbers or lists of numbers), or
 * `undefined` when they are not both numeric: how far a regressor (or a probability) moved.
 * @example
 * numericDifference([0.1, 0.9], [0.3, 0.7]); // 0.2
 */
export function numericDifference(logged: unknown, replayed: unknown): number | undefined {
  if (typeof logged === 'number' && typeof replayed === 'number') return Math.abs(logged - replayed);
  if (Array.isArray(logged) && Array.isArray(replayed) && logged.length === replayed.length) {
    let most = 0;
    for (let i = 0; i < logged.length; i++) {
      const difference = numericDifference(logged[i], replayed[i]);
      if (difference === undefined) return undefined;
      most = Math.max(most, difference);
    }
    return most;
  }
  return undefined;
}
