function Get-VmmObjectModel {
    <#
    .SYNOPSIS
        The VMM object property names and state values the inventory and restore cmdlets rely on, in one place.
    .DESCRIPTION
        Mirrors src/model/vmm-states.ts (vmmStates, vmmRegistry.settingsKey and vmmDkm); Pester checks that both
        say the same. The
        specification names the states as the console shows them ("Not Responding", "Host Not Responding",
        "Missing", "Access Denied"); the cmdlets read them as enum values of these properties. Correct a name in
        src/model/vmm-states.ts and here together.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    @{
        Host            = @{
            NameProperty      = 'ComputerName'
            StateProperty     = 'CommunicationState'
            NotResponding     = 'NotResponding'
            AccessDenied      = 'AccessDenied'
            Responding        = 'Responding'
            PerimeterProperty = 'PerimeterNetworkHost'
            ClusterProperty   = 'HostCluster'
        }
        VM              = @{
            NameProperty         = 'Name'
            HostProperty         = 'VMHost'
            StateProperty        = 'Status'
            Missing              = 'Missing'
            HostNotResponding    = 'HostNotResponding'
            ConfigPathProperty   = 'VMCPath'
            LocationProperty     = 'Location'
            ConfigExtensions     = @('.vmc', '.xml', '.vmcx', '.vmrs')
            ReplicationProperty  = 'ReplicationStatus'
            ReplicationOffValues = @('None', 'NotEnabled', 'Disabled')
            RecoveryVMProperty   = 'IsRecoveryVM'
        }
        ManagedComputer = @{
            NameProperty  = 'FQDN'
            StateProperty = 'State'
            AccessDenied  = 'AccessDenied'
        }
        Cluster         = @{ NameProperty = 'Name' }
        LibraryServer   = @{ NameProperty = 'ComputerName' }
        Cloud           = @{ NameProperty = 'Name' }
        Template        = @{ NameProperty = 'Name' }
        RunAsAccount    = @{ NameProperty = 'Name'; UserNameProperty = 'UserName' }
        Checkpoint      = @{ VMProperty = 'VM'; NameProperty = 'Name'; AddedTimeProperty = 'AddedTime' }
        LibraryObject   = @{
            NameProperty            = 'Name'
            StateProperty           = 'State'
            Missing                 = 'Missing'
            OperatingSystemProperty = 'OperatingSystem'
            NoOperatingSystemValues = @('None', 'Unknown')
        }
        PerimeterAccountPattern = '^scvmm.{5}$'
        SettingsKey     = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings'
        Dkm             = @{ ContainerValue = 'TopContainerName' }
    }
}
