function Get-VmmLibrarySetObject {
    <#
    .SYNOPSIS
        The stored objects of a set's files, checked for presence and size (read only, no hashing): one result
        per file (Entry, Object: its path in the store, Problem: why it cannot be used, or $null).
    .PARAMETER Set
        The set (Resolve-VmmLibraryBackupSet: ObjectsPath).
    .PARAMETER Manifest
        The set's manifest (Read-VmmBackupManifest).
    .PARAMETER Share
        Only the files of this share index (default: every file).
    .EXAMPLE
        foreach ($item in Get-VmmLibrarySetObject -Set $set -Manifest $manifest -Share 0) { if ($item.Problem) { $item.Problem } }
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [object] $Set,

        [Parameter(Mandatory = $true)]
        [object] $Manifest,

        [int] $Share = -1
    )

    $storeType = (Get-VmmLibraryStoreType) + '.Store' -as [type]
    foreach ($file in $Manifest.Files) {
        if ($Share -ge 0 -and [int]$file.Share -ne $Share) { continue }
        $objectPath = $storeType::ObjectPath($Set.ObjectsPath, [string]$file.Sha256)
        $object = New-Object -TypeName System.IO.FileInfo -ArgumentList $objectPath
        $problem = $null
        if (-not $object.Exists) {
            $problem = "'$($file.Path)' is missing from the backup store"
        } elseif ($object.Length -ne [long]$file.Length) {
            $problem = "'$($file.Path)' has $($object.Length) bytes in the backup store instead of $($file.Length)"
        }
        [pscustomobject]@{ Entry = $file; Object = $objectPath; Problem = $problem }
    }
}
