function Get-VmmDscLibraryBackup {
    <#
    .SYNOPSIS
        The newest complete library backup set under a Backup-VmmLibraryShare destination, and whether it is
        intact, for the DSC resources.
    .DESCRIPTION
        Uses the library backup helpers (Get-VmmLibraryBackupSet, Resolve-VmmLibraryBackupSet,
        Test-VmmLibraryBackupSet, Read-VmmBackupManifest): the newest set whose manifest was committed is
        verified (manifest format and digest, and every file against its SHA-256 in the content store). When
        only interrupted sets exist, the state says so. Returns one object: Found, LatestBackup (the set
        folder), LatestBackupTime (UTC, when the set was completed), AgeHours, Verified, Shares (the shares the
        set covers) and Detail.
    .PARAMETER Destination
        The library backup destination (holds sets/ and objects/).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Destination
    )

    $state = New-VmmDscState -Property Shares
    if (-not (Test-Path -LiteralPath $Destination -PathType Container)) {
        $state.Detail = "The folder '$Destination' does not exist."
        return $state
    }
    $set = Resolve-VmmLibraryBackupSet -Path $Destination
    if ($null -eq $set) {
        $interrupted = @(Get-VmmLibraryBackupSet -Destination $Destination) | Select-Object -Last 1
        if ($null -ne $interrupted) {
            $state.Found = $true
            $state.Verified = $false
            $state.LatestBackup = $interrupted.Path
            $state.Detail = "The backup set '$($interrupted.Path)' is incomplete: its backup was interrupted before the manifest was written, and no complete set exists."
        } else {
            $state.Detail = "The folder '$Destination' holds no library backup set (sets/<name>/manifest.json)."
        }
        return $state
    }
    $check = Test-VmmLibraryBackupSet -Set $set
    $state.Found = $true
    $state.LatestBackup = $set.Path
    $state.Verified = ($check.State -eq 'Good')
    $state.Detail = $check.Detail
    if ($null -ne $check.LastWriteTime) {
        $state.LatestBackupTime = ([datetime]$check.LastWriteTime).ToUniversalTime()
    } else {
        $state.LatestBackupTime = $set.ManifestWriteTime
    }
    $state.AgeHours = ([datetime]::UtcNow - $state.LatestBackupTime).TotalHours
    if ($check.State -ne 'Corrupt' -or $null -ne $check.LastWriteTime) {
        try {
            $state.Shares = [string[]]@((Read-VmmBackupManifest -Path $set.ManifestPath).Shares)
        } catch {
            $state.Shares = $null
        }
    }
    $state
}
