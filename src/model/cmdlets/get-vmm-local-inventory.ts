import type { Cmdlet } from '../types';
import { s } from '../schema';

export const getVmmLocalInventory: Cmdlet = {
  name: 'Get-VmmLocalInventory',
  synopsis: 'Lists what VMM backups do not contain on this computer: the credentials Windows Credential Manager holds and the VMM console add-ins installed, each with the instructions to back it up.',
  description: [
    'The specification asks to back up non-VMM managed credentials (Windows Credential Manager on the VMM management server) and non-Microsoft console add-ins by hand. This cmdlet is the inventory for those two checklist items (backup.credentials and backup.ui-addins): one object per credential and per add-in folder, with the checklist instructions of its procedure, so nothing is forgotten. It changes nothing.',
    'Credentials: runs cmdkey.exe /list, which lists the credentials of the user running the cmdlet (Credential Manager keeps credentials per user): run it as each account whose saved credentials VMM relies on. The output carries the target name, the credential type and the user name; never a password (cmdkey does not show one, and any line the parser does not understand is left out). The parser reads English cmdkey output; a localized Windows labels the lines in its own language, and then the cmdlet does not guess: it returns each line as is with Parsed = $false (lines that look like a password or secret label with a value are left out) and writes a warning.',
    'Console add-ins: reads the VMM console installation folder from the registry value InstallPath of HKLM\\SOFTWARE\\Microsoft\\Microsoft System Center Virtual Machine Manager Administrator Console\\Setup and lists the folders under its bin\\AddInPipeline\\AddIns subfolder, one per imported add-in. These are the documented VMM 2016 names and may need correcting for another release (vmmConsole in src/model/vmm-states.ts). When the console is not installed, or its folder is missing, the cmdlet writes a warning and lists no add-in.',
    'When the credentials cannot be listed (not Windows, cmdkey.exe missing or failing) the cmdlet writes a non-terminating error (VmmBackup.CredentialListUnavailable) and lists no credential; the add-ins are still listed.',
  ],
  parameters: [
    {
      name: 'Kind',
      type: 'string[]',
      help: 'What to list: Credential (Windows Credential Manager entries of the current user), ConsoleAddIn (VMM console add-in folders), or both (the default).',
      position: 0,
      validate: { set: ['Credential', 'ConsoleAddIn'], notNullOrEmpty: true },
      default: ['Credential', 'ConsoleAddIn'],
    },
  ],
  examples: [
    { code: 'Get-VmmLocalInventory', remarks: 'Lists the stored credentials of the current user and the VMM console add-ins of this computer, each with the instructions to back it up.' },
    {
      code: 'Get-VmmLocalInventory -Kind Credential | Format-Table Name, Type, Detail',
      remarks: 'Lists only the Credential Manager entries: target, credential type and user name.',
    },
    {
      code: "Get-VmmLocalInventory -Kind ConsoleAddIn | Select-Object -ExpandProperty Detail",
      remarks: 'Lists the folder of each installed VMM console add-in (back these folders up with the data the vendor\'s guidelines name).',
    },
    {
      code: 'Get-VmmLocalInventory | Where-Object { -not $_.Parsed }',
      remarks: 'Shows the lines cmdkey wrote in a language the parser does not read; check them in Credential Manager.',
    },
  ],
  output: {
    typeName: 'VmmBackup.LocalInventoryItem',
    description: 'One object per stored credential and per console add-in folder.',
    schema: s.object({
      Kind: s.enum(['Credential', 'ConsoleAddIn'], 'Credential (a Windows Credential Manager entry) or ConsoleAddIn (a VMM console add-in folder).'),
      Name: s.string('Credential: the target name as cmdkey shows it (the whole line when Parsed is false). ConsoleAddIn: the add-in folder name.'),
      Type: s.nullable(s.string('Credential: the credential type as cmdkey shows it (e.g. Domain Password, Generic). Null for add-ins and unparsed lines.')),
      Detail: s.nullable(s.string('Credential: the user name (null when none or unparsed). ConsoleAddIn: the full path of the add-in folder.')),
      Instruction: s.string('The checklist instructions of the procedure that backs this item up (backup.credentials or backup.ui-addins), numbered.'),
      Parsed: s.boolean('False when cmdkey wrote a line the parser cannot read (localized Windows): Name then holds the line as is.'),
    }),
  },
  status: 'implemented',
  errors: [{ id: 'CredentialListUnavailable', category: 'ResourceUnavailable', nonTerminating: true }],
  vmmCmdlets: [],
  notes: [
    'Read-only; no VMM cmdlet is called. Credentials come from cmdkey.exe /list through the private Get-VmmStoredCredentialList; the console folder from the registry through Read-VmmRegistryTree (key and folder names in Get-VmmConsoleLayout, generated from vmmConsole in src/model/vmm-states.ts). The instructions come from the model procedures backup.credentials and backup.ui-addins.',
  ],
};
