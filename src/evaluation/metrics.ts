/** Accuracy and R² live with the estimators (their default `score`); evaluation shares the one implementation. */
export { accuracy, r2 } from '../estimators/scores.js';
