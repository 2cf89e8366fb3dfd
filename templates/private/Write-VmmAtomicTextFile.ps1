function Write-VmmAtomicTextFile {
    <#
    .SYNOPSIS
        Writes text to a file as UTF-8 (no byte order mark) through a temporary file in the same folder that is
        then renamed over the target, so a reader never sees a half-written file.
    .PARAMETER Path
        The file to write (its folder must exist).
    .PARAMETER Text
        The content.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string] $Text
    )

    $folder = [System.IO.Path]::GetDirectoryName($Path)
    $temp = [System.IO.Path]::Combine($folder, ('.{0}.{1}.tmp' -f [System.IO.Path]::GetFileName($Path), [guid]::NewGuid().ToString('N')))
    $encoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
    try {
        [System.IO.File]::WriteAllText($temp, $Text, $encoding)
        if ([System.IO.File]::Exists($Path)) {
            [System.IO.File]::Replace($temp, $Path, [NullString]::Value)
        } else {
            [System.IO.File]::Move($temp, $Path)
        }
    } finally {
        if ([System.IO.File]::Exists($temp)) { [System.IO.File]::Delete($temp) }
    }
}
