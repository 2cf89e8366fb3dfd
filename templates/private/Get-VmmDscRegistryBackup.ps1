function Get-VmmDscRegistryBackup {
    <#
    .SYNOPSIS
        The newest export of the VMM settings registry key (.reg) at a path, and whether it is sound, for the
        DSC resources.
    .DESCRIPTION
        Path is a .reg file, or a folder whose newest .reg file (by last write time) is taken. The file is
        checked with Test-VmmDscRegistryFile. Returns one object: Found, LatestBackup, LatestBackupTime (UTC),
        AgeHours, Verified, IncludesSql (the export holds the Sql subkey) and Detail.
    .PARAMETER Path
        The .reg file or the folder.
    .PARAMETER SettingsKey
        The VMM settings key the export must hold (HKEY_LOCAL_MACHINE\...\Settings).
    .PARAMETER SqlSubkey
        Name of the Sql subkey under the settings key.
    .PARAMETER Depth
        How many folder levels below a folder Path to search (0: the folder only).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [Parameter(Mandatory = $true)]
        [string] $SettingsKey,

        [Parameter(Mandatory = $true)]
        [string] $SqlSubkey,

        [ValidateRange(0, 8)]
        [int] $Depth = 0
    )

    $state = New-VmmDscState -Property IncludesSql
    $file = $null
    if (Test-Path -LiteralPath $Path -PathType Leaf) {
        $file = Get-Item -LiteralPath $Path
    } elseif (Test-Path -LiteralPath $Path -PathType Container) {
        # The extension is checked again: Windows PowerShell 5.1 matches -Filter against 8.3 short names too.
        $file = Get-ChildItem -LiteralPath $Path -Filter '*.reg' -File -Recurse -Depth $Depth -ErrorAction SilentlyContinue |
            Where-Object { $_.Extension -eq '.reg' } | Sort-Object -Property LastWriteTimeUtc -Descending | Select-Object -First 1
        if ($null -eq $file) {
            $state.Detail = "The folder '$Path' holds no registry export (.reg)."
            return $state
        }
    } else {
        $state.Detail = "The registry export '$Path' does not exist."
        return $state
    }
    $check = Test-VmmDscRegistryFile -LiteralPath $file.FullName -SettingsKey $SettingsKey -SqlSubkey $SqlSubkey
    $state.Found = $true
    $state.LatestBackup = $file.FullName
    $state.LatestBackupTime = $file.LastWriteTimeUtc
    $state.AgeHours = ([datetime]::UtcNow - $file.LastWriteTimeUtc).TotalHours
    $state.Verified = ($null -eq $check.Problem)
    $state.IncludesSql = $check.IncludesSql
    if ($check.Problem) {
        $state.Detail = $check.Problem
    } else {
        $state.Detail = "The registry export '$($file.FullName)' is sound."
    }
    $state
}
