function Assert-VmmNotRootDirectory {
    <#
    .SYNOPSIS
        Returns a full folder path without trailing separators, or throws when it is a root directory
        (C:\, \\server\share, \\server, /): VMM backups must not go to a root directory.
    .PARAMETER FullPath
        The folder, already made absolute.
    .PARAMETER Path
        The path as the user gave it, for the error message.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $FullPath,

        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $trimmed = $FullPath.TrimEnd('\', '/')
    $isRoot = ($trimmed.Length -eq 0) -or
        ($trimmed -match '^[A-Za-z]:$') -or
        ($trimmed -match '^\\\\[^\\]+\\[^\\]+$') -or
        ($trimmed -match '^\\\\[^\\]+$')
    if ($isRoot) {
        throw "The backup folder '$Path' is a root directory. Choose a folder that is not a root directory (for example D:\VmmBackup), as VMM requires."
    }
    $trimmed
}
