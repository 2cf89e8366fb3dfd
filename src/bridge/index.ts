/**
 * The PowerShell bridge: run PowerShell commands from Node in long-lived processes, with values passed as
 * data (base64 JSON, never script text), typed errors, timeouts that cannot hang, pooling, and output
 * validated against JSON Schemas. General: it knows nothing about any particular module.
 */
export * from './errors';
export { PowerShellProcess, killTrees, processTree, type LaunchOptions } from './launcher';
export { locatePowerShell, findOnPath, findProjectPwsh, type LocateOptions, type PowerShellEdition } from './locate';
export type { CredentialInput, ErrorAction, InformationRecord, ProgressRecord } from './protocol';
export {
  ChannelWriter,
  FrameDecoder,
  FrameSource,
  MAX_FRAME_BYTES,
  PIECE_BYTES,
  PIECES,
  SEGMENT_CHARS,
  callSource,
  decodeSegmented,
  encodeFrame,
  encodeSegmentedCall,
  extractSegments,
  segmentedCallSource,
  type FrameSink,
} from './protocol';
export { OutputValidator, type SchemaProblem } from './validate';
export {
  DEFAULT_LIMITS,
  DISPATCHER_PATH,
  SCRIPT_COMMANDS,
  PowerShellSession,
  type CallOptions,
  type InvokeResult,
  type Invoker,
  type ProcessInfo,
  type SchemaResolver,
  type SessionOptions,
} from './session';
export { SessionPool, type PoolOptions } from './pool';
