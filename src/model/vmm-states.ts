/**
 * The VMM object properties and values the restore path relies on, in one place. The specification names the
 * states as the console shows them ("Not Responding", "Host Not Responding", "Missing", "Access Denied"); the
 * cmdlets see them as enum values on these properties of the objects Get-SCVMHost, Get-SCVirtualMachine and
 * Get-SCVMMManagedComputer return. If a VMM release spells one differently, correct it here: the generated
 * module (the private helpers Get-VmmObjectModel, Get-VmmRegistryLayout and Get-VmmConsoleLayout are generated
 * from this file by src/emit/vmm-layouts.ts) and its tests take every name from this file.
 */
export const vmmStates = {
  host: {
    /** Get-SCVMHost objects. */
    nameProperty: 'ComputerName',
    stateProperty: 'CommunicationState',
    notResponding: 'NotResponding',
    accessDenied: 'AccessDenied',
    responding: 'Responding',
    /** True on hosts added as perimeter-network hosts (Add-SCVMHost -PerimeterNetworkHost). */
    perimeterProperty: 'PerimeterNetworkHost',
    /** Host cluster the host belongs to (an object with Name, or null). */
    clusterProperty: 'HostCluster',
  },
  vm: {
    /** Get-SCVirtualMachine objects. */
    nameProperty: 'Name',
    hostProperty: 'VMHost',
    stateProperty: 'Status',
    missing: 'Missing',
    hostNotResponding: 'HostNotResponding',
    /** Full path of the VM's configuration file on its host (.vmc, .xml or .vmcx). */
    configPathProperty: 'VMCPath',
    /** Folder of the VM's files on its host; searched for configuration files when VMCPath is empty. */
    locationProperty: 'Location',
    /** File name extensions of VM configuration files (Virtual Server .vmc, Hyper-V .xml/.vmcx/.vmrs). */
    configExtensions: ['.vmc', '.xml', '.vmcx', '.vmrs'],
    /** Replication (Hyper-V Replica / Azure Site Recovery) state of the VM. */
    replicationProperty: 'ReplicationStatus',
    /** ReplicationStatus values that mean the VM is not replicated (an empty value means the same). */
    replicationOffValues: ['None', 'NotEnabled', 'Disabled'],
    /** True on the replica copy of a protected VM. */
    recoveryVmProperty: 'IsRecoveryVM',
  },
  /** Get-SCVMHostCluster, Get-SCLibraryServer, Get-SCCloud, Get-SCVMTemplate, Get-SCRunAsAccount objects. */
  cluster: { nameProperty: 'Name' },
  libraryServer: { nameProperty: 'ComputerName' },
  cloud: { nameProperty: 'Name' },
  template: { nameProperty: 'Name' },
  runAsAccount: { nameProperty: 'Name', userNameProperty: 'UserName' },
  /** Get-SCVMCheckpoint objects: the VM (an object with Name), the checkpoint name, when it was taken. */
  checkpoint: { vmProperty: 'VM', nameProperty: 'Name', addedTimeProperty: 'AddedTime' },
  /** Library objects (Get-SCVirtualHardDisk, Get-SCDriverPackage): state and the value of a missing file. */
  libraryObject: {
    nameProperty: 'Name',
    stateProperty: 'State',
    missing: 'Missing',
    /** Get-SCVirtualHardDisk: the operating system on the disk; these values mean none is set. */
    operatingSystemProperty: 'OperatingSystem',
    noOperatingSystemValues: ['None', 'Unknown'],
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

/** The registry key of the VMM management server; its Settings and Setup subkeys are below. */
const VMM_SERVER_KEY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Microsoft System Center Virtual Machine Manager Server';

/** Where VMM keeps its settings (the registry backup covers this key and its subkeys) and its installation. */
export const vmmRegistry = {
  settingsKey: `${VMM_SERVER_KEY}\\Settings`,
  sqlSubkey: 'Sql',
  /** Values of the Sql subkey that name the database VMM uses. */
  sqlServerValue: 'MachineName',
  sqlInstanceValue: 'InstanceName',
  sqlDatabaseValue: 'DatabaseName',
  /** The setup key of the server and its value that names the installation folder. */
  setupKey: `${VMM_SERVER_KEY}\\Setup`,
  installPathValue: 'InstallPath',
  /** SCVMMRecover.exe under the installation folder, one name per element. */
  scvmmRecoverFile: ['bin', 'SCVMMRecover.exe'],
} as const;

/** Distributed key management (DKM): where the VMM settings name the Active Directory container of the keys. */
export const vmmDkm = {
  /**
   * Value under vmmRegistry.settingsKey that names the container (the DKM container chosen at setup, VMM setup
   * option TopContainerName); absent or empty when DKM is not configured.
   */
  containerValue: 'TopContainerName',
} as const;

/** File types the specification names for library backups (all files are taken; these are checked for). */
export const libraryFileTypes = ['.vhd', '.vhdx', '.iso', '.inf', '.vmx', '.ps1', '.vmc', '.vsv'] as const;

/**
 * Where the VMM console keeps its add-ins on a computer, as documented for VMM 2016: the console's setup key
 * names its installation folder, and each imported add-in gets a folder under bin\AddInPipeline\AddIns of that
 * folder. Get-VmmLocalInventory reads them through the private helper Get-VmmConsoleLayout, generated from this
 * object. If a VMM release installs the console elsewhere, correct it here.
 */
export const vmmConsole = {
  setupKey: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Microsoft System Center Virtual Machine Manager Administrator Console\\Setup',
  installPathValue: 'InstallPath',
  /** Path of the add-ins folder under the console installation folder, one folder name per element. */
  addInsFolder: ['bin', 'AddInPipeline', 'AddIns'],
} as const;
