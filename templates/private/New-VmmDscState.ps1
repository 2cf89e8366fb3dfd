function New-VmmDscState {
    <#
    .SYNOPSIS
        The observed state of one backup as the DSC resources report it: Found, LatestBackup, LatestBackupTime,
        AgeHours, Verified, the resource's own properties, then Detail; nothing found and nothing verified yet.
    .DESCRIPTION
        Get-VmmDscDatabaseBackup, Get-VmmDscRegistryBackup, Get-VmmDscLibraryBackup and Get-VmmDscPlanItemState
        start from this record and fill in what they find, so the resources (templates/dsc) read one shape.
        Verified stays $null until a check ran: a backup is never reported verified unless it was checked.
    .PARAMETER Property
        The resource's own properties (for example Database, Shares, IncludesSql), placed before Detail.
    .EXAMPLE
        $state = New-VmmDscState -Property Database
        $state.Detail = "The folder '$Path' does not exist."
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [string[]] $Property = @()
    )

    $state = [ordered]@{
        Found            = $false
        LatestBackup     = $null
        LatestBackupTime = $null
        AgeHours         = $null
        Verified         = $null
    }
    foreach ($name in $Property) { $state[$name] = $null }
    $state.Detail = $null
    [pscustomobject]$state
}
