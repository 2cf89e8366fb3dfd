function Resolve-VmmBackupPath {
    <#
    .SYNOPSIS
        Returns the full path of a backup folder, refusing a root directory (C:\, \\server\share, /) as the
        specification requires, and creating the folder when -Create is given.
    .DESCRIPTION
        The root check is made on the path as written and on its real location (symbolic links, junctions and
        mount points resolved, Resolve-VmmRealPath): a folder that is a link to a root directory is a root
        directory. The path as written is returned.
    .PARAMETER Path
        The folder.
    .PARAMETER Create
        Create the folder when it does not exist.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [switch] $Create
    )

    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    $trimmed = Assert-VmmNotRootDirectory -FullPath $full -Path $Path
    $real = Resolve-VmmRealPath -FullPath $trimmed
    if (-not [string]::Equals($real, $trimmed, [System.StringComparison]::Ordinal)) {
        $null = Assert-VmmNotRootDirectory -FullPath $real -Path "$Path, a link to $real"
    }
    if ($Create -and -not (Test-Path -LiteralPath $full -PathType Container)) {
        $null = New-Item -ItemType Directory -Path $full -Force -ErrorAction Stop
    }
    $trimmed
}
