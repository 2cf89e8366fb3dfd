/**
 * The VMM object properties and values the restore path relies on, in one place. The specification names the
 * states as the console shows them ("Not Responding", "Host Not Responding", "Missing", "Access Denied"); the
 * cmdlets see them as enum values on these properties of the objects Get-SCVMHost, Get-SCVirtualMachine and
 * Get-SCVMMManagedComputer return. If a VMM release spells one differently, correct it here: the generated
 * module and its tests take every name from this file.
 */
export const vmmStates = {
  host: {
    /** Get-SCVMHost objects. */
    nameProperty: 'ComputerName',
    stateProperty: 'CommunicationState',
    notResponding: 'NotResponding',
    accessDenied: 'AccessDenied',
    responding: 'Responding',
  },
  vm: {
    /** Get-SCVirtualMachine objects. */
    nameProperty: 'Name',
    hostProperty: 'VMHost',
    stateProperty: 'Status',
    missing: 'Missing',
    hostNotResponding: 'HostNotResponding',
  },
  managedComputer: {
    /** Get-SCVMMManagedComputer objects. */
    nameProperty: 'FQDN',
    stateProperty: 'State',
    accessDenied: 'AccessDenied',
  },
  /** The local account VMM creates on perimeter-network hosts: "scvmm" plus 5 random characters. */
  perimeterAccountPattern: '^scvmm.{5}$',
} as const;

/** Where VMM keeps its settings (the registry backup covers this key and its subkeys). */
export const vmmRegistry = {
  settingsKey: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Microsoft System Center Virtual Machine Manager Server\\Settings',
  sqlSubkey: 'Sql',
  /** Values of the Sql subkey that name the database VMM uses. */
  sqlServerValue: 'MachineName',
  sqlInstanceValue: 'InstanceName',
  sqlDatabaseValue: 'DatabaseName',
} as const;

/** File types the specification names for library backups (all files are taken; these are checked for). */
export const libraryFileTypes = ['.vhd', '.vhdx', '.iso', '.inf', '.vmx', '.ps1', '.vmc', '.vsv'] as const;
