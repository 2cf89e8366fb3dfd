function Export-VmmLibrarySetFile {
    <#
    .SYNOPSIS
        Copies chosen files of a set out of the store, as they are stored (no check), into <Root>/share<n>/<path>:
        the sample of a restore drill. Returns one line per file that could not be copied.
    .PARAMETER Set
        The set (Resolve-VmmLibraryBackupSet: ObjectsPath).
    .PARAMETER Manifest
        The set's manifest (Read-VmmBackupManifest).
    .PARAMETER Files
        The entries of the manifest to copy.
    .PARAMETER Root
        The folder to copy into.
    .EXAMPLE
        $errors = @(Export-VmmLibrarySetFile -Set $set -Manifest $manifest -Files $chosen -Root $scratch)
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [object] $Set,

        [Parameter(Mandatory = $true)]
        [object] $Manifest,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Files,

        [Parameter(Mandatory = $true)]
        [string] $Root
    )

    $storeType = (Get-VmmLibraryStoreType) + '.Store' -as [type]
    foreach ($file in $Files) {
        $object = $storeType::ObjectPath($Set.ObjectsPath, [string]$file.Sha256)
        $target = [System.IO.Path]::Combine($Root, 'share' + [int]$file.Share, [string]::Join([string][System.IO.Path]::DirectorySeparatorChar, ([string]$file.Path).Split('/')))
        try {
            $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($target))
            [System.IO.File]::Copy($object, $target, $true)
        } catch {
            "'$($Manifest.Shares[[int]$file.Share])/$($file.Path)' could not be restored: $($_.Exception.Message)"
        }
    }
}
