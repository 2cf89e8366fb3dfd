function Remove-VmmLibraryObjectFile {
    <#
    .SYNOPSIS
        Deletes one stored file of a library backup destination (objects/<2 hex>/<sha256>) and returns its
        length. A plain function (no CmdletBinding): the retention sweep calls it once per unreferenced file.
    .PARAMETER File
        The stored file.
    #>
    param(
        [System.IO.FileInfo] $File
    )

    $length = $File.Length
    $File.Delete()
    $length
}
