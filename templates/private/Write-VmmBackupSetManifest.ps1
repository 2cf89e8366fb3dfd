function Write-VmmBackupSetManifest {
    <#
    .SYNOPSIS
        Writes backup-set.json, the manifest of one Invoke-VmmBackup run, last: it hashes every file of the set
        folder (SHA-256), records the items with their results and the library set used, and renames the file
        into place from a temporary name (the commit point of the run).
    .DESCRIPTION
        Layout written by Invoke-VmmBackup under its -Destination:
            <yyyyMMdd_HHmmss>/database/        Backup-VmmDatabase (.bak)
            <yyyyMMdd_HHmmss>/registry/        Backup-VmmRegistrySetting (.reg)
            <yyyyMMdd_HHmmss>/inventory/       Export-VmmInventory (.json)
            <yyyyMMdd_HHmmss>/vmconfig/        Backup-VmmVMConfiguration
            <yyyyMMdd_HHmmss>/backup-set.json  this manifest
            library/                           Backup-VmmLibraryShare destination, shared by the runs so that
                                               each run copies only what changed (LibrarySet names its set)
        Format version 2: the digest (Get-VmmBackupManifestDigest) covers the files and every field that decides
        a state: name, start and end time, VMM server, library set, and the Id, State and Message of every item.
    .PARAMETER SetPath
        The set folder.
    .PARAMETER StartTime
        When the run started.
    .PARAMETER EndTime
        When the run finished.
    .PARAMETER VMMServer
        The VMM server backed up.
    .PARAMETER Items
        The run results (Id, State, Output, Message).
    .PARAMETER LibrarySet
        Path of the library set, relative to the parent of the set folder, with / separators; or $null.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $SetPath,

        [Parameter(Mandatory = $true)]
        [datetime] $StartTime,

        [Parameter(Mandatory = $true)]
        [datetime] $EndTime,

        [Parameter(Mandatory = $true)]
        [string] $VMMServer,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Items,

        [AllowNull()]
        [string] $LibrarySet
    )

    $manifestPath = [System.IO.Path]::Combine($SetPath, 'backup-set.json')
    $buffer = New-Object -TypeName byte[] -ArgumentList 1048576
    $files = New-Object -TypeName System.Collections.Generic.List[object]
    $onWindows = [System.IO.Path]::DirectorySeparatorChar -eq '\'
    $all = @([System.IO.Directory]::GetFiles($SetPath, '*', [System.IO.SearchOption]::AllDirectories))
    [System.Array]::Sort([System.Array]$all, [System.Collections.IComparer][System.StringComparer]::Ordinal)
    foreach ($file in $all) {
        $relative = $file.Substring($SetPath.Length).TrimStart('\', '/')
        if ($onWindows) { $relative = $relative.Replace('\', '/') }
        if ($relative -eq 'backup-set.json' -or $relative -like 'backup-set.json.*.tmp') { continue }
        $files.Add([pscustomobject][ordered]@{ Share = 0; Path = $relative; Length = (New-Object -TypeName System.IO.FileInfo -ArgumentList $file).Length; Modified = 0; Sha256 = (Get-VmmFileHash -Path $file -Buffer $buffer) })
    }
    $itemLines = @(foreach ($item in $Items) { [string]$item.Id + "`t" + [string]$item.State + "`t" + [string]$item.Message })
    $properties = @{ Version = 2; Name = [System.IO.Path]::GetFileName($SetPath); StartTime = $StartTime; EndTime = $EndTime; VMMServer = $VMMServer; LibrarySet = $LibrarySet; Items = $itemLines }
    $digest = Get-VmmBackupManifestDigest -Shares @('backup-set') -Files $files.ToArray() -Failed @() -Properties $properties
    $document = [ordered]@{
        Format     = 'VmmBackup.BackupSet'
        Version    = 2
        Name       = [System.IO.Path]::GetFileName($SetPath)
        StartTime  = $StartTime.ToUniversalTime().ToString('o', [System.Globalization.CultureInfo]::InvariantCulture)
        EndTime    = $EndTime.ToUniversalTime().ToString('o', [System.Globalization.CultureInfo]::InvariantCulture)
        VMMServer  = $VMMServer
        LibrarySet = $LibrarySet
        Items      = @(foreach ($item in $Items) { [ordered]@{ Id = [string]$item.Id; State = [string]$item.State; Output = $item.Output; Message = $item.Message } })
        Files      = @(foreach ($file in $files) { [ordered]@{ Path = $file.Path; Length = $file.Length; Sha256 = $file.Sha256 } })
        Digest     = $digest
    }
    $json = ConvertTo-Json -InputObject $document -Depth 5
    $bytes = (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes($json)
    $temporary = $manifestPath + '.' + [guid]::NewGuid().ToString('N') + '.tmp'
    $stream = New-Object -TypeName System.IO.FileStream -ArgumentList $temporary, ([System.IO.FileMode]::CreateNew), ([System.IO.FileAccess]::Write), ([System.IO.FileShare]::None)
    try {
        $stream.Write($bytes, 0, $bytes.Length)
        $stream.Flush($true)
    } finally {
        $stream.Dispose()
    }
    Move-VmmFileAtomic -Path $temporary -Destination $manifestPath
    $manifestPath
}
