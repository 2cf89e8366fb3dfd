function Get-VmmDscDatabaseBackup {
    <#
    .SYNOPSIS
        The newest VMM database backup file (.bak) in a folder, and whether it is verified, for the DSC
        resources.
    .DESCRIPTION
        Takes the newest .bak file (by last write time; with -Database only <Database>_*.bak) and verifies it
        with Test-VmmDscDatabaseFile. Returns one object: Found, LatestBackup, LatestBackupTime (UTC), AgeHours,
        Verified, Database (the name in the file name <Database>_<yyyyMMdd_HHmmss>.bak) and Detail.
    .PARAMETER Path
        The folder.
    .PARAMETER Database
        Only backups of this database count.
    .PARAMETER Depth
        How many folder levels below Path to search (0: Path only).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [string] $Database,

        [ValidateRange(0, 8)]
        [int] $Depth = 0
    )

    $state = New-VmmDscState -Property Database
    if (-not (Test-Path -LiteralPath $Path -PathType Container)) {
        $state.Detail = "The folder '$Path' does not exist."
        return $state
    }
    # The extension is checked again: Windows PowerShell 5.1 matches -Filter against 8.3 short names too, so '*.bak'
    # also returns a file named like 'x.bak~' or 'x.bakold' there.
    $files = @(Get-ChildItem -LiteralPath $Path -Filter '*.bak' -File -Recurse -Depth $Depth -ErrorAction SilentlyContinue | Where-Object { $_.Extension -eq '.bak' })
    if ($Database) {
        $prefix = $Database + '_'
        $files = @($files | Where-Object { $_.Name.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase) })
    }
    if ($files.Count -eq 0) {
        $what = 'VMM database backup (.bak)'
        if ($Database) {
            $what = "backup of the database '$Database' ($Database" + '_*.bak)'
        }
        $state.Detail = "The folder '$Path' holds no $what."
        return $state
    }
    $newest = $files | Sort-Object -Property LastWriteTimeUtc -Descending | Select-Object -First 1
    $problem = Test-VmmDscDatabaseFile -LiteralPath $newest.FullName
    $state.Found = $true
    $state.LatestBackup = $newest.FullName
    $state.LatestBackupTime = $newest.LastWriteTimeUtc
    $state.AgeHours = ([datetime]::UtcNow - $newest.LastWriteTimeUtc).TotalHours
    $state.Verified = ($null -eq $problem)
    if ($newest.Name -match '^(?<name>.+)_\d{8}_\d{6}\.bak$') {
        $state.Database = $Matches['name']
    }
    if ($problem) {
        $state.Detail = $problem
    } else {
        $state.Detail = "The newest backup '$($newest.FullName)' is verified."
    }
    $state
}
