function Get-VmmLibraryObjectPath {
    <#
    .SYNOPSIS
        The stored object of a content in a library backup destination: objects/<first two hex digits>/<sha256>.
    .DESCRIPTION
        The one place the object layout is computed: the store's compiled code (Store.ObjectPath), which the
        copy engine uses too.
    .PARAMETER ObjectsPath
        The objects folder of the destination.
    .PARAMETER Sha256
        The SHA-256 of the content (lowercase hex).
    .EXAMPLE
        $object = Get-VmmLibraryObjectPath -ObjectsPath $set.ObjectsPath -Sha256 $file.Sha256
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $ObjectsPath,

        [Parameter(Mandatory = $true)]
        [string] $Sha256
    )

    $storeType = (Get-VmmLibraryStoreType) + '.Store' -as [type]
    $storeType::ObjectPath($ObjectsPath, $Sha256)
}
