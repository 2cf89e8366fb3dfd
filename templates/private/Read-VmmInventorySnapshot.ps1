function Read-VmmInventorySnapshot {
    <#
    .SYNOPSIS
        Reads an inventory snapshot written by Export-VmmInventory and checks its format, with a clear error
        when the file is missing, not JSON, of an unknown schema version or incomplete.
    .PARAMETER Path
        The snapshot file.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $supportedVersion = 1
    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    if (-not [System.IO.File]::Exists($full)) {
        throw "The inventory snapshot '$Path' does not exist. Give the .json file Export-VmmInventory wrote."
    }
    try {
        $snapshot = [System.IO.File]::ReadAllText($full, [System.Text.Encoding]::UTF8) | ConvertFrom-Json -ErrorAction Stop
    } catch {
        throw "The inventory snapshot '$Path' is not valid JSON: $($_.Exception.Message)"
    }
    if ($null -eq $snapshot -or $null -eq $snapshot.PSObject.Properties['schemaVersion']) {
        throw "The file '$Path' is not an inventory snapshot of Export-VmmInventory (it has no schemaVersion)."
    }
    if ([int]$snapshot.schemaVersion -ne $supportedVersion) {
        throw "The inventory snapshot '$Path' has schema version $($snapshot.schemaVersion); this version of VmmBackup reads version $supportedVersion. Export the inventory again with this version."
    }
    foreach ($section in @('hosts', 'clusters', 'virtualMachines', 'libraryServers', 'clouds', 'templates', 'runAsAccounts')) {
        if ($null -eq $snapshot.PSObject.Properties[$section]) {
            throw "The inventory snapshot '$Path' lacks the '$section' section; it is incomplete or damaged."
        }
        # ConvertFrom-Json yields $null for an empty array in Windows PowerShell 5.1: make every section a list.
        $snapshot.$section = @($snapshot.$section | Where-Object { $null -ne $_ })
    }
    $snapshot
}
