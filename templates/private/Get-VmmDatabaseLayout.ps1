function Get-VmmDatabaseLayout {
    <#
    .SYNOPSIS
        The VMM database tables the restore drill counts to prove a restored copy is a VMM database, and how
        scratch databases of the drill are named.
    .DESCRIPTION
        Mirrors vmmDatabaseTables and drillDatabase in src/model/vmm-database.ts (Pester checks that both say
        the same). Correct a name there and here together. Tables: one entry per table, in order, with the
        column name its row count gets in the drill's check.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    @{
        Tables          = @(
            @{ Table = 'tbl_VMM_Server'; Count = 'VmmServers' }
            @{ Table = 'tbl_ADHC_Host'; Count = 'Hosts' }
            @{ Table = 'tbl_WLC_VObject'; Count = 'VirtualMachines' }
            @{ Table = 'tbl_WLC_PhysicalObject'; Count = 'LibraryObjects' }
        )
        DrillSuffix     = '_drill_'
        StampFormat     = 'yyyyMMddHHmmss'
        LeftoverPattern = '%[_]drill[_][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
    }
}
