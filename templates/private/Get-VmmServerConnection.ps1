function Get-VmmServerConnection {
    <#
    .SYNOPSIS
        Connects to the VMM management server (Get-SCVMMServer) and returns the connection, or throws a clear
        error when the VMM cmdlets are missing or the server does not answer.
    .PARAMETER VMMServer
        Name of the VMM management server.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $VMMServer
    )

    if (-not (Get-Command -Name 'Get-SCVMMServer' -ErrorAction SilentlyContinue)) {
        throw "The VMM cmdlets (module VirtualMachineManager) are not available in this session. Run this on the VMM management server or a computer with the VMM console installed."
    }
    try {
        Get-SCVMMServer -ComputerName $VMMServer -ErrorAction Stop
    } catch {
        throw "Cannot connect to the VMM management server '$VMMServer': $($_.Exception.Message)"
    }
}
