function ConvertTo-VmmHostFilePath {
    <#
    .SYNOPSIS
        Turns a path on a host (D:\VMs\vm01) into the path to reach it from here: the host's administrative
        share (\\host\D$\VMs\vm01). UNC paths and paths that are not drive-letter paths are returned unchanged.
    .PARAMETER ComputerName
        The host the path is on.
    .PARAMETER Path
        The path as the host sees it.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [AllowNull()]
        [string] $ComputerName,

        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    if ($Path -match '^([A-Za-z]):\\(.*)$' -and $ComputerName) {
        return ('\\{0}\{1}$\{2}' -f $ComputerName, $Matches[1].ToUpperInvariant(), $Matches[2])
    }
    $Path
}
