import { z } from "zod";
import { secretKinds } from "./secret-record";

/** Input of the secret page's actions: which secret, by its address in the inventory. */
export const secretActionInputSchema = z.object({
  cluster: z.string().min(1).max(253),
  namespace: z.string().min(1).max(253),
  kind: z.enum(secretKinds),
  name: z.string().min(1).max(253),
});

export type SecretActionInput = z.infer<typeof secretActionInputSchema>;
