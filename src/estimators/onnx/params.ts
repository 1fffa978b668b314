import { z } from 'zod';

const _name = (what: string) => z.string({ error: `must be the name of the ${what}` }).min(1, { error: `must be the name of the ${what}` });

/**
 * Parameters of {@link OnnxModel}. Only `path` is required; everything else is read from the graph
 * when left out (inputs and their types, outputs, class labels).
 * @example
 * onnxModelParams.parse({ path: 'model.onnx' }).type; // 'classifier'
 */
export const onnxModelParams = z
  .object({
    path: z.string({ error: 'must be the path of an .onnx file' }).min(1, { error: 'must be the path of an .onnx file' }),
    type: z.enum(['classifier', 'regressor'], { error: "must be 'classifier' or 'regressor'" }).default('classifier'),
    features: z.array(z.string(), { error: 'must be a list of column names, in the order the model takes them' }).nullable().default(null),
    input: z.enum(['auto', 'tensor', 'columns'], { error: "must be 'auto', 'tensor' (one 2-D tensor) or 'columns' (one input per column)" }).default('auto'),
    label_output: _name('output holding the predicted labels').nullable().default(null),
    proba_output: _name('output holding the class probabilities').nullable().default(null),
    output: _name('output holding the predictions (regressors)').nullable().default(null),
    classes: z
      .union([z.array(z.string()), z.array(z.number())], { error: 'must be a list of class labels (all strings or all numbers), in probability column order' })
      .nullable()
      .default(null),
  })
  .strict();

/**
 * Parsed parameters of {@link OnnxModel}.
 * @example
 * const params: OnnxModelParams = onnxModelParams.parse({ path: 'model.onnx', type: 'regressor' });
 */
export type OnnxModelParams = z.infer<typeof onnxModelParams>;
