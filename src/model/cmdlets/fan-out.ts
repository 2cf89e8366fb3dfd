/**
 * Running a cmdlet on every library server at once through PowerShell remoting: the parameters, help and
 * examples the fan-out cmdlets share (Invoke-VmmFanOut, in templates/private, does the work).
 */
import type { Example, Parameter } from '../types';
import type { JsonSchema } from '../schema';

/**
 * The output schema with ComputerName added as an optional last property: present (the server's name as the
 * session names it) on results of a fan-out, absent on a local run, whose objects stay exactly as they were.
 */
export function withComputerName(schema: JsonSchema): JsonSchema {
  return {
    ...schema,
    properties: { ...schema.properties, ComputerName: { type: 'string', description: 'The server that produced this result (only on -Session or -ComputerName runs).' } },
  };
}

const sets = ['Session', 'ComputerName'];

export const fanOutParameters: readonly Parameter[] = [
  {
    name: 'Session',
    type: 'pssession[]',
    sets: ['Session'],
    help: 'Run on these servers (New-PSSession: WinRM, or SSH with -HostName), at once, each on its own local disk. The sessions stay open. One result per server, with its ComputerName.',
    validate: { notNullOrEmpty: true },
  },
  {
    name: 'ComputerName',
    type: 'string[]',
    sets: ['ComputerName'],
    help: 'Run on these servers: opens one session each (WinRM, with -Credential; or SSH, as [user@]host[:port], when -KeyFilePath is given) and closes them at the end. A server that cannot be reached fails alone.',
    validate: { notNullOrEmpty: true },
  },
  {
    name: 'Credential',
    type: 'pscredential',
    sets: ['ComputerName'],
    help: 'Account for the WinRM sessions opened from -ComputerName. Sent only to the servers, never logged.',
  },
  {
    name: 'KeyFilePath',
    type: 'string',
    sets: ['ComputerName'],
    help: 'Open the -ComputerName sessions over SSH with this private key (New-PSSession -HostName -KeyFilePath, PowerShell 7 and later) instead of WinRM.',
    validate: { notNullOrEmpty: true },
  },
  {
    name: 'SshOption',
    type: 'hashtable',
    sets: ['ComputerName'],
    help: 'SSH options for the -KeyFilePath sessions (New-PSSession -Options), e.g. @{ UserKnownHostsFile = ...; ServerAliveInterval = 5 }. Defaults: ServerAliveInterval 10, ServerAliveCountMax 3 (a server that stops answering fails after about 30 s), ConnectTimeout 15.',
  },
  {
    name: 'ThrottleLimit',
    type: 'int',
    sets,
    help: 'At most this many servers run at a time (32 by default, as Invoke-Command).',
    default: 32,
    validate: { range: [1, 1024] },
  },
  {
    name: 'OperationTimeoutSec',
    type: 'int',
    sets,
    help: 'A server that has not finished after this many seconds is reported Failed and no longer waited for (0, the default: no limit; a server that dies or stops answering is still detected by its session: WinRM keepalives, or SSH ServerAliveInterval). Its unfinished set is resumed by the next run.',
    default: 0,
    validate: { range: [0, 604800] },
  },
];

/** Help paragraphs of the fan-out; `store` says how the cmdlet's folder parameter is split per server. */
export function fanOutDescription(store: string): string[] {
  return [
    'On several servers at once (-Session or -ComputerName): each server runs this cmdlet on its own local disk, at most -ThrottleLimit at a time, and the caller gets that server\'s results with ComputerName added, then a summary (information stream, tag VmmBackup.FanOutSummary; -Verbose prints it). Paths are as each server sees them. Without -Session and -ComputerName the cmdlet runs here, exactly as before.',
    'The module on the servers: the caller sends its own module files, byte for byte with their signatures, into each session, imports them from a per-run temporary folder and removes that folder afterwards. The servers need nothing installed, AllSigned execution policy still holds (the files are the signed ones), and every server runs exactly the caller\'s version. A session that already has another VmmBackup version loaded is refused (that server fails, with both versions in the reason), rather than changed under its owner; the same version already loaded is used as is.',
    `Stores: ${store} Each server writes its own store, so the servers never wait for or corrupt each other, no lock has to work across SMB, and each store keeps the guarantees of a single run (a killed server leaves its last complete set intact and the next run resumes its unfinished set). Content shared between servers is stored once per server.`,
    'Faults: a server that cannot be reached, whose session breaks (its process killed), or that stops answering (detected by the session keepalives), or that has not finished within -OperationTimeoutSec, gives one error naming the server and the reason (error id VmmBackup.RemoteServerFailed); the other servers finish. Run the same command again to resume the failed server. Writing to a file share from a WinRM session is a second hop: use CredSSP, Kerberos constrained delegation, or an SSH session (New-PSSession -HostName), whose key-based logon reaches the share with the account of the session.',
  ];
}

export function fanOutExamples(command: string, args: string): Example[] {
  return [
    {
      code: `${command} ${args} -ComputerName lib01, lib02, lib03 -ThrottleLimit 3 -Verbose`,
      remarks: 'Runs on three library servers at once (WinRM sessions opened and closed by the cmdlet); each result carries its ComputerName, and -Verbose prints the summary with MB/s per server.',
    },
    {
      code: `$sessions = New-PSSession -HostName lib01, lib02 -UserName CONTOSO\\backup -KeyFilePath ~/.ssh/id_ed25519 -Options @{ ServerAliveInterval = 5 }\n${command} ${args} -Session $sessions -OperationTimeoutSec 28800\nRemove-PSSession $sessions`,
      remarks: 'The same over SSH sessions opened beforehand, with keepalives, and no server waited for more than eight hours.',
    },
  ];
}
