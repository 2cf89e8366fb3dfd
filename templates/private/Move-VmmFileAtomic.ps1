function Move-VmmFileAtomic {
    <#
    .SYNOPSIS
        Renames a completed temporary file to its final name in the same folder, replacing an existing file in
        one step (File.Replace) so readers see either the old or the new content, never a partial one.
    .PARAMETER Path
        The completed temporary file.
    .PARAMETER Destination
        The final name.
    #>
    param(
        [string] $Path,
        [string] $Destination
    )

    if ([System.IO.File]::Exists($Destination)) {
        [System.IO.File]::Replace($Path, $Destination, [NullString]::Value)
    } else {
        [System.IO.File]::Move($Path, $Destination)
    }
}
