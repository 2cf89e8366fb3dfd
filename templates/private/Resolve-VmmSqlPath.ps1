function Resolve-VmmSqlPath {
    <#
    .SYNOPSIS
        The full path of a backup file or folder as SQL Server (or VMM) will see it. A Windows path with a drive
        letter or a UNC path is kept as given (it names a place on the SQL Server computer, whose drives this
        computer may not have); a relative path is made full from the current location. With -Folder, a root
        directory (C:\, \\server\share, /) is refused, as VMM requires.
    .PARAMETER Path
        The path given by the user.
    .PARAMETER Folder
        The path names a backup folder: refuse a root directory and drop trailing separators.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [switch] $Folder
    )

    if ($Path -match '^[A-Za-z]:([\\/]|$)' -or $Path -match '^\\\\') {
        $full = $Path
    } else {
        $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    }
    if (-not $Folder) { return $full }
    Assert-VmmNotRootDirectory -FullPath $full -Path $Path
}
