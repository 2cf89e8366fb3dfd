function Get-VmmRegistryLayout {
    <#
    .SYNOPSIS
        Where VMM keeps its settings in the registry: the settings key, its Sql subkey and the values that name
        the VMM database, and the setup key that gives the installation folder.
    .DESCRIPTION
        Mirrors vmmRegistry in src/model/vmm-states.ts (Pester checks that both say the same). Correct a name
        there and here together.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    $serverKey = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server'
    @{
        SettingsKey       = $serverKey + '\Settings'
        SqlSubkey         = 'Sql'
        SqlServerValue    = 'MachineName'
        SqlInstanceValue  = 'InstanceName'
        SqlDatabaseValue  = 'DatabaseName'
        SetupKey          = $serverKey + '\Setup'
        InstallPathValue  = 'InstallPath'
        ScvmmRecoverFile  = @('bin', 'SCVMMRecover.exe')
    }
}
