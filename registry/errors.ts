/**
 * The registry's errors: a stable `code` (what CI scripts and the CLI branch on), the HTTP status and
 * a message for people. The server answers `{ error: { code, message, ...details } }`, never a stack.
 */
export const RegistryCode = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CHECK_FAILED: 409,
  COMPOSITION_FAILED: 422,
  /** A trusted-document manifest that is not one (format, a hash not its document's). */
  MANIFEST_INVALID: 400,
  /** Trusted documents that do not validate against the environment's served graph. */
  DOCUMENTS_INVALID: 422,
  /** A partner given a second contract in one environment (contracts.ts). */
  CONTRACT_CONFLICT: 409,
  /** A contract that would leave no Query field on the environment's graph (contracts.ts). */
  CONTRACT_EMPTY: 422,
  /** Deleting a contract still served to partners: they would see the whole graph (contracts.ts). */
  CONTRACT_IN_USE: 409,
  INTERNAL: 500,
} as const;
export type RegistryCode = keyof typeof RegistryCode;

export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(
    readonly code: RegistryCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  get status(): number {
    return RegistryCode[this.code];
  }
}
